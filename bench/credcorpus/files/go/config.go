package config

import "os"

const apiToken = "⟪P:alnum40⟫"

var dbPassword string = "⟪P:password⟫"

type Settings struct {
	Host     string
	Password string
	Token    string
}

var Default = Settings{
	Host:     "db01.internal",
	Password: "⟪P:password⟫",
	Token:    os.Getenv("⟪N:SHOP_TOKEN⟫"),
}
