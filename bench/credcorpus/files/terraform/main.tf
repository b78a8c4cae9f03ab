provider "aws" {
  region     = var.region
  access_key = "⟪P:akia⟫"
  secret_key = "⟪P:awssecret⟫"
}

provider "google" {
  project = "⟪P:gcpproject⟫"
  region  = "europe-west1"
}

resource "aws_db_instance" "orders" {
  identifier          = "orders"
  engine              = "postgres"
  username            = var.db_username
  password            = ⟪N:var.db_password⟫
  skip_final_snapshot = true
}

resource "aws_iam_role_policy_attachment" "ssm" {
  role       = aws_iam_role.app.name
  policy_arn = "arn:aws:iam::aws:policy/⟪N:AmazonSSMManagedInstanceCore⟫"
}

data "aws_iam_role" "deploy" {
  name = "arn:aws:iam::⟪P:awsaccount⟫:role/deploy"
}
