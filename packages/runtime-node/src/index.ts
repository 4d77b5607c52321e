export { bootstrap } from './bootstrap';
export { buildCarriers } from './carriers';
export { type NodeDatabase, openDatabase } from './database';
export { startDispatchLoop } from './dispatch-loop';
export { startGateway } from './gateway';
export { loadConfigFile, readSettings, type Settings, SettingsError } from './settings';
