/** IANA time zones the browser knows, for the set-up and profile pickers. */
export function timeZoneOptions(): { value: string; label: string }[] {
  let zones: string[];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  const browser = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zones.includes('UTC')) zones = ['UTC', ...zones];
  if (browser && !zones.includes(browser)) zones = [browser, ...zones];
  return zones.map((z) => ({ value: z, label: z.replaceAll('_', ' ') }));
}
