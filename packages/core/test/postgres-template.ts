import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrateToLatest } from '../src/index';
import { openTestDatabase, PG_ADMIN_URL } from './databases';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A database with every migration applied, for core's tests to copy (null: none, they migrate their own). */
    pgTemplate: string | null;
  }
}

/**
 * Vitest's global setup: one PostgreSQL database migrated once per run, which core's tests copy
 * (`create database … template`) instead of migrating a database of their own each (about half a
 * second each, two hundred times). Dropped after the run. Without a reachable server there is none,
 * and the PostgreSQL tests fail on their own as before.
 */
export default async function setup(project: TestProject) {
  const name = `mifumo_template_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client(PG_ADMIN_URL);
  try {
    await admin.connect();
    await admin.query(`create database ${name}`);
  } catch {
    await admin.end().catch(() => {});
    project.provide('pgTemplate', null);
    return;
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const template = openTestDatabase(url.toString());
  try {
    await migrateToLatest(template.db);
  } finally {
    await template.close(); // a template takes no connections while it is copied
  }
  project.provide('pgTemplate', name);
  return async () => {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
}
