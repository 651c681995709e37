// QR codes of addresses, as SVG to inline in a page: drawn by the qrcode library (its encoder
// and its SVG renderer), remembered per address since a page's feed address rarely changes.
import QRCode from 'qrcode';
import { BoundedCache } from '../../cache.ts';

const drawn = new BoundedCache<string, Promise<string>>(500);

/** Longest text encoded: a feed address is far shorter; anything longer is not a QR code's job. */
const MAX_TEXT = 1000;

/**
 * An inline SVG QR code of `text`, with an accessible name. Error correction M (a printed code
 * survives a crease or a smudge), a quiet zone of 2 modules, black on white whatever the theme.
 */
export async function qrSvg(text: string, accessibleName: string): Promise<string> {
  if (text.length > MAX_TEXT) throw new RangeError(`QR text longer than ${MAX_TEXT} characters`);
  const svg = await drawn.getOrCompute(text, () => QRCode.toString(text, {
    type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#000000', light: '#ffffff' },
  }).catch((error: unknown) => {
    drawn.delete(text);
    throw error;
  }));
  return svg.trim().replace('<svg ', `<svg class="qr__code" role="img" aria-label="${escapeAttribute(accessibleName)}" focusable="false" `);
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
