import { serve } from '@hono/node-server';
import { createShop } from './shop';

const port = Number(process.env.PORT ?? 3000);
const shop = await createShop('file:./data/shop.db');
serve({ fetch: shop.app.fetch, port, hostname: '127.0.0.1' });
console.log(`Shop on http://127.0.0.1:${port}, SMS API under /sms/v1/...`);
console.log(`API key: ${shop.apiKey}`);
