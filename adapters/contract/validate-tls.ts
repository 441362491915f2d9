/**
 * Rules for `tls`, what pushspec trusts when the server speaks TLS. Only the
 * field's shape is checked here; the loader reads the file it names
 * (adapters/contract/load.ts), relative to the adapter file.
 */
import { isObject, unknownFields, type Ctx } from '../../core/fields.ts';

const TLS_FIELDS = ['ca'];
/** Expected text for `tls.ca`. */
export const CA_EXPECTED = 'the path of a PEM file holding the CA certificate (or the self-signed certificate) to trust, relative to the adapter file, such as "certs/ca.pem"';

/** Checks `tls`; call it only when the definition has one. */
export function checkTls({ def, problems, bad, check }: Ctx): void {
  if (!isObject(def.tls)) {
    bad(['tls'], `an object such as {"ca": "certs/ca.pem"}`);
    return;
  }
  unknownFields(def.tls, TLS_FIELDS, ['tls'], problems);
  check(['tls', 'ca'], (v) => typeof v === 'string' && v.trim() !== '', CA_EXPECTED, true);
}
