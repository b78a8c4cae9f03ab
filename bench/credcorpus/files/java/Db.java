package example.shop;

import java.sql.Connection;
import java.sql.DriverManager;

public final class Db {
    private static final String URL = "jdbc:postgresql://pg01.internal:5432/shop";
    private static final String PASSWORD = "⟪P:password⟫";
    private static final String API_KEY = "⟪P:alnum32⟫";

    static Connection open() throws Exception {
        return DriverManager.getConnection(URL, "shop", "⟪P:password⟫");
    }

    static void configure() {
        System.setProperty("javax.net.ssl.trustStorePassword", "⟪P:password⟫");
        System.setProperty("app.password.min-length", "⟪N:12⟫");
    }
}
