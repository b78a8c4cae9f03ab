<?php
define( 'DB_NAME', 'database_name_here' );
define( 'DB_USER', 'username_here' );
define( 'DB_PASSWORD', '⟪N:password_here⟫' );
define( 'DB_HOST', 'localhost' );
define( 'AUTH_KEY',         '⟪N:put your unique phrase here⟫' );
define( 'SECURE_AUTH_KEY',  '⟪N:put your unique phrase here⟫' );
define( 'NONCE_SALT',       '⟪N:put your unique phrase here⟫' );
