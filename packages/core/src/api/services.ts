import type { Authenticator } from '../auth/authenticator';
import type { MifumoConfig } from '../config';
import type { Admin } from '../services/admin';
import type { createContacts } from '../services/contacts';
import type { createMessageQueries } from '../services/messages';
import type { createSender } from '../services/send';

/** What the HTTP routes call: the same functions the in-process `api` calls. */
export interface Services {
  config: MifumoConfig;
  auth: Authenticator;
  admin: Admin;
  sender: ReturnType<typeof createSender>;
  messages: ReturnType<typeof createMessageQueries>;
  contacts: ReturnType<typeof createContacts>;
}
