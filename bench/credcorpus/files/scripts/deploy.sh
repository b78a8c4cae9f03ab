#!/usr/bin/env bash
set -euo pipefail

export AWS_ACCESS_KEY_ID=⟪P:akia⟫
export AWS_SECRET_ACCESS_KEY="⟪P:awssecret⟫"
export GITHUB_TOKEN=⟪P:ghp⟫
PGPASSWORD=⟪P:password⟫ psql -h pg01.internal -U shop -c 'select 1'
mysql -u root -p⟪P:password⟫ -e 'show databases'
curl -u deploy:⟪P:password⟫ https://nexus.internal/service/rest/v1/status
curl -H "Authorization: Bearer ⟪P:alnum40⟫" https://api.internal/v1/deploy
sshpass -p '⟪P:password⟫' ssh deploy@web01.internal
docker login -u ci -p "$DOCKER_PASSWORD" registry.shop.example
echo "${⟪N:SLACK_TOKEN⟫}" > /dev/null
