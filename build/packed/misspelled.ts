// Appended to docs/embedding.md's typed-client snippet (which declares `sms`) by the packed-packages test.
// @ts-expect-error: `mesage` is not a field of the send body, so the client refuses it at compile time
await sms.v1.sms.send.$post({ json: { mesage: 'typo', recipients: ['0754000111'] } });
