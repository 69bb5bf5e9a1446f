// The string formats kube-apiserver checks in custom resources (kube-openapi's strfmt registry as
// apiextensions configures it); a format it does not know, like int32 or a made-up one, is not checked.
import net from "node:net";

const dateTime = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})$/;
const date = /^\d{4}-\d{2}-\d{2}$/;
const uuid = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const hostname = /^(?=.{1,253}$)[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)*\.?$/;
const mac = /^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$/;
const email = /^[^\s@]{1,64}@[^\s@]{1,255}$/;
const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// Go's time.ParseDuration spelling, which strfmt's duration accepts beside its own ("3 days").
const duration = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$|^[-+]?0$|^\d+\s*(ns|us|µs|ms|s|m|h|d|w|nanoseconds?|microseconds?|milliseconds?|seconds?|minutes?|hours?|days?|weeks?)$/;

function validDateParts(text: string): boolean {
  const [year = 0, month = 0, day = 0] = text.slice(0, 10).split("-").map(Number);
  const parsed = new Date(Date.UTC(year, month - 1, day));
  return parsed.getUTCFullYear() === year && parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === day;
}

function validCidr(text: string): boolean {
  const slash = text.indexOf("/");
  if (slash < 0) return false;
  const family = net.isIP(text.slice(0, slash));
  const bits = text.slice(slash + 1);
  return family !== 0 && /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

const CHECKS: Record<string, (text: string) => boolean> = {
  "date-time": (text) => dateTime.test(text) && validDateParts(text),
  datetime: (text) => dateTime.test(text) && validDateParts(text),
  date: (text) => date.test(text) && validDateParts(text),
  duration: (text) => duration.test(text),
  uuid: (text) => uuid.test(text),
  uuid3: (text) => uuid.test(text),
  uuid4: (text) => uuid.test(text),
  uuid5: (text) => uuid.test(text),
  hostname: (text) => hostname.test(text),
  ipv4: (text) => net.isIPv4(text),
  ipv6: (text) => net.isIPv6(text),
  cidr: validCidr,
  mac: (text) => mac.test(text),
  email: (text) => email.test(text),
  byte: (text) => base64.test(text),
  uri: (text) => URL.canParse(text),
};

/** Whether `text` is a valid `format`; formats kube does not check always are. */
export const matchesFormat = (format: string, text: string) => CHECKS[format]?.(text) ?? true;

export const checkedFormats = Object.keys(CHECKS);
