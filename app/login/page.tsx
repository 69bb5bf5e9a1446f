import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { BrandMark } from "@/components/brand-mark";
import { safeNextPath } from "@/lib/auth/request-path";
import { getSessionUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: PageProps<"/login">) {
  const { next } = await searchParams;
  const nextPath = safeNextPath(typeof next === "string" ? next : undefined);
  if (await getSessionUser()) redirect(nextPath);

  return (
    <main className="flex min-h-dvh items-center justify-center bg-header bg-[radial-gradient(ellipse_at_top,oklch(0.42_0.09_245),transparent_65%)] p-6">
      <div className="w-full max-w-sm rounded-lg border border-border bg-surface p-8 shadow-2xl">
        <div className="mb-6 flex items-center gap-3">
          <BrandMark className="size-9" />
          <div>
            <h1 className="text-xl font-semibold tracking-tight">Skylight</h1>
            <p className="text-xs text-muted-foreground">Sign in to manage your infrastructure</p>
          </div>
        </div>
        <LoginForm next={nextPath} />
      </div>
    </main>
  );
}
