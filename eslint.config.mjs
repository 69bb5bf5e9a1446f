import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypeScript from "eslint-config-next/typescript";

// Which way dependencies may point (see README › Architecture): the browser-facing layers never
// reach the database client directly.
const databaseImports = {
  patterns: [
    { group: ["@/lib/db/*", "@/lib/generated/*"], message: "Read through lib/ modules and write through the engine, not the database client." },
  ],
};

const config = [
  ...nextCoreWebVitals,
  ...nextTypeScript,
  { ignores: [".next/**", "lib/generated/**", "node_modules/**", ".data/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  { files: ["components/**", "app/**"], rules: { "no-restricted-imports": ["error", databaseImports] } },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
];

export default config;
