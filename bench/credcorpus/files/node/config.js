module.exports = {
  port: 3000,
  db: {
    host: 'pg01.internal',
    user: 'shop',
    password: '⟪P:password⟫',
  },
  stripe: {
    secretKey: '⟪P:stripe⟫',
    publishableKey: '⟪G:stripepk⟫',
  },
  slackWebhook: '⟪P:slackhook⟫',
  sessionSecret: process.env.⟪N:SESSION_SECRET⟫ || '⟪P:alnum32⟫',
  passwordMinLength: ⟪N:12⟫,
  i18n: { password: '⟪N:Password⟫', passwordHint: '⟪N:At least 12 characters⟫' },
};
