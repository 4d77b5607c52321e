export { freshPostgres } from './postgres';
