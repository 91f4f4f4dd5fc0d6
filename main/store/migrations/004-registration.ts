/**
 * Migration 4: registration — users (local and imported from an LDAP directory), the single row of
 * Device Registration settings, invitations with their one-time registration PIN (salted hash
 * only), per-language invitation template overrides, and the sealed PIN key.
 *
 * Field names follow Ivanti's admin words and the tenant API (`emailAddress`, `accountSource`
 * LOCAL/LDAP, `inviteResendCount`); see docs in main/registration/.
 */
import type { Migration } from './types';

export const migration004: Migration = {
  version: 4,
  name: 'registration users, settings, invitations, templates',
  sql: `
      CREATE TABLE registration_users (
        id                   TEXT PRIMARY KEY,
        email                TEXT NOT NULL UNIQUE,       -- registration user name, stored lower case
        first_name           TEXT NOT NULL DEFAULT '',
        last_name            TEXT NOT NULL DEFAULT '',
        source               TEXT NOT NULL CHECK (source IN ('local', 'ldap')),
        ldap_dn              TEXT,                       -- distinguished name of a directory user
        user_portal          INTEGER NOT NULL DEFAULT 1 CHECK (user_portal IN (0, 1)),
        device_registration  INTEGER NOT NULL DEFAULT 1 CHECK (device_registration IN (0, 1)),
        language             TEXT NOT NULL DEFAULT 'en',
        created_at           TEXT NOT NULL,
        updated_at           TEXT NOT NULL,
        CHECK (device_registration = 0 OR user_portal = 1),
        CHECK (source = 'ldap' OR ldap_dn IS NULL)
      );
      CREATE INDEX registration_users_by_name ON registration_users(last_name, first_name);

      CREATE TABLE registration_settings (
        id                               INTEGER PRIMARY KEY CHECK (id = 1),
        server_url                       TEXT,
        registration_url_style           TEXT NOT NULL DEFAULT 'epmm' CHECK (registration_url_style IN ('epmm', 'neurons', 'custom')),
        custom_registration_url          TEXT,
        pin_length                       INTEGER NOT NULL DEFAULT 6 CHECK (pin_length BETWEEN 4 AND 12),
        pin_lifetime_hours               INTEGER NOT NULL DEFAULT 72 CHECK (pin_lifetime_hours BETWEEN 1 AND 4320),
        in_app_requirement               TEXT NOT NULL DEFAULT 'user-and-pin',
        web_requirement                  TEXT NOT NULL DEFAULT 'user-and-pin',
        silent_in_app_only               INTEGER NOT NULL DEFAULT 0 CHECK (silent_in_app_only IN (0, 1)),
        silent_in_app_minutes            INTEGER NOT NULL DEFAULT 240 CHECK (silent_in_app_minutes >= 1),
        saml_web_registration            INTEGER NOT NULL DEFAULT 0 CHECK (saml_web_registration IN (0, 1)),
        email_if_profile_not_installed   INTEGER NOT NULL DEFAULT 1 CHECK (email_if_profile_not_installed IN (0, 1)),
        server_name_lookup               INTEGER NOT NULL DEFAULT 0 CHECK (server_name_lookup IN (0, 1)),
        default_language                 TEXT NOT NULL DEFAULT 'en',
        updated_at                       TEXT NOT NULL DEFAULT ''
      );
      INSERT INTO registration_settings (id) VALUES (1);

      CREATE TABLE registration_invitations (
        id                TEXT PRIMARY KEY,
        user_id           TEXT NOT NULL REFERENCES registration_users(id) ON DELETE CASCADE,
        platform          TEXT NOT NULL CHECK (platform IN ('ios', 'macos')),
        language          TEXT NOT NULL,
        registration_url  TEXT NOT NULL,
        pin_hash          TEXT,                          -- salted scrypt hash; NULL when no PIN was called for
        pin_expires_at    TEXT,
        status            TEXT NOT NULL CHECK (status IN ('sent', 'used', 'expired', 'revoked', 'superseded', 'locked')),
        failed_attempts   INTEGER NOT NULL DEFAULT 0,
        resend_count      INTEGER NOT NULL DEFAULT 0,
        created_at        TEXT NOT NULL,
        last_sent_at      TEXT NOT NULL,
        closed_at         TEXT
      );
      CREATE INDEX registration_invitations_by_user ON registration_invitations(user_id, created_at);

      CREATE TABLE registration_templates (
        language    TEXT PRIMARY KEY,
        html        TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      );

      CREATE TABLE registration_pin_key (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        key_sealed  BLOB NOT NULL,                       -- 32-byte HMAC key for PIN hashing, sealed by the secret box
        created_at  TEXT NOT NULL
      );
    `,
};
