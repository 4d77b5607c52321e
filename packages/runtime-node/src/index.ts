export { type OpenDatabase, openDatabase } from './database';
