import { buildCarriers, CarrierConfigError } from '@mifumo/adapters';
import { fakeCarrier } from '@mifumo/adapters/fake';
import { africasTalkingCarrier, beemCarrier, genericHttpCarrier } from '@mifumo/adapters/http';
import { smppCarrier } from '@mifumo/adapters/smpp';
import type { CarrierAdapter, MifumoConfig } from '@mifumo/core';
import { SettingsError } from './settings';

/** The carrier types the Node runtime runs. */
const NODE_CARRIERS = [fakeCarrier, smppCarrier, beemCarrier, africasTalkingCarrier, genericHttpCarrier];

/** Builds the configured carriers; an unknown type or a bad field is a SettingsError naming `carriers.N.field`. */
export function nodeCarriers(config: MifumoConfig): CarrierAdapter[] {
  try {
    return buildCarriers(config.carriers, NODE_CARRIERS);
  } catch (e) {
    if (e instanceof CarrierConfigError) throw new SettingsError(e.message);
    throw e;
  }
}
