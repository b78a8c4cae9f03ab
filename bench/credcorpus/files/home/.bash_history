ls -la
cd /srv/shop
export DB_PASSWORD=⟪P:password⟫
mysql -u admin -p⟪P:password⟫ shop
psql postgresql://shop:⟪P:password⟫@pg01.internal/shop
git push origin main
htpasswd -b /etc/nginx/.htpasswd admin ⟪P:password⟫
vault login ⟪P:hvs⟫
