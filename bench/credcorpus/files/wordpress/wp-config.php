<?php
/**
 * The base configuration for WordPress
 *
 * @link https://developer.wordpress.org/advanced-administration/wordpress/wp-config/
 * @package WordPress
 */

// ** Database settings - You can get this info from your web host ** //
/** The name of the database for WordPress */
define( 'DB_NAME', 'wp_shop' );

/** Database username */
define( 'DB_USER', 'wp_shop_app' );

/** Database password */
define( 'DB_PASSWORD', '⟪P:password⟫' );

/** Database hostname */
define( 'DB_HOST', 'db01.internal:3306' );

/** Database charset to use in creating database tables. */
define( 'DB_CHARSET', 'utf8mb4' );

/**#@+
 * Authentication unique keys and salts.
 * Change these to different unique phrases! You can generate these using
 * the {@link https://api.wordpress.org/secret-key/1.1/salt/ WordPress.org secret-key service}.
 */
define( 'AUTH_KEY',         '⟪P:wpsalt⟫' );
define( 'SECURE_AUTH_KEY',  '⟪P:wpsalt⟫' );
define( 'LOGGED_IN_KEY',    '⟪P:wpsalt⟫' );
define( 'NONCE_KEY',        '⟪P:wpsalt⟫' );
define( 'AUTH_SALT',        '⟪P:wpsalt⟫' );
define( 'SECURE_AUTH_SALT', '⟪P:wpsalt⟫' );
define( 'LOGGED_IN_SALT',   '⟪P:wpsalt⟫' );
define( 'NONCE_SALT',       '⟪P:wpsalt⟫' );
/**#@-*/

// Placeholder kept from wp-config-sample.php in the staging copy:
// define( 'AUTH_KEY', '⟪N:put your unique phrase here⟫' );

/** SMTP relay used by WP Mail SMTP */
define( 'WPMS_SMTP_PASS', '⟪P:password⟫' );
define( 'WPMS_SMTP_USER', 'mailer@shop.example' );

$table_prefix = 'wp_';
define( 'WP_DEBUG', false );

if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
