<?php
/* phpMyAdmin configuration */
$cfg['blowfish_secret'] = '⟪P:alnum32⟫';

$i = 0;
$i++;
$cfg['Servers'][$i]['auth_type'] = 'config';
$cfg['Servers'][$i]['host'] = 'db01.internal';
$cfg['Servers'][$i]['user'] = 'pma';
$cfg['Servers'][$i]['password'] = '⟪P:password⟫';
$cfg['Servers'][$i]['controlpass'] = '⟪P:password⟫';
$cfg['UploadDir'] = '';
$cfg['SaveDir'] = '';
