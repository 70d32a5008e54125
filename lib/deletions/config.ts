import { REGIMES, type Regime } from "./deadlines.ts";

/**
 * The business's deletion settings: the regime a request gets when it names
 * none (DELETION_REGIME, gdpr by default) and the time zone its deadlines end
 * in (BUSINESS_TIME_ZONE, UTC by default: a deadline is the end of its last
 * day there).
 */
export function deletionDefaults(): { regime: Regime; timeZone: string } {
  const regime = (process.env.DELETION_REGIME?.trim() || "gdpr") as Regime;
  if (!REGIMES.includes(regime)) throw new Error(`DELETION_REGIME must be one of ${REGIMES.join(", ")}`);
  const timeZone = process.env.BUSINESS_TIME_ZONE?.trim() || "UTC";
  try {
    new Intl.DateTimeFormat("en", { timeZone });
  } catch {
    throw new Error(`BUSINESS_TIME_ZONE "${timeZone}" is not an IANA time zone`);
  }
  return { regime, timeZone };
}
