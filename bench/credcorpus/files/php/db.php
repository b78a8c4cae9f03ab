<?php
$mysqli = new mysqli("db01.internal", "shop", "⟪P:password⟫", "shop");
$pdo = new PDO('mysql:host=db01.internal;dbname=shop', 'shop', '⟪P:password⟫');
$config = [
    'api_key'  => '⟪P:alnum32⟫',
    'password' => '⟪N:********⟫',
];
$token = getenv('⟪N:SHOP_API_TOKEN⟫');
