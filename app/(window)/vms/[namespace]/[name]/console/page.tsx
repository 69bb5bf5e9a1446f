import { MonitorOff } from "lucide-react";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { BrandMark } from "@/components/brand-mark";
import { WebConsoleScreen } from "@/components/web-console/web-console-screen";
import { requireUser } from "@/lib/auth/session";
import { readWebConsole } from "@/lib/inventory/web-console-reads";

// Launch Web Console: a VM's screen in a window of its own, outside the console's frame. A VM the
// reader may not see is not found, as a missing one is; a simulated VM says it has no screen.

const readConsole = cache(async (namespace: string, name: string) => readWebConsole(await requireUser(), { namespace, name }));

async function consoleOf(params: PageProps<"/vms/[namespace]/[name]/console">["params"]) {
  const { namespace, name } = await params;
  return readConsole(namespace, name);
}

export async function generateMetadata({ params }: PageProps<"/vms/[namespace]/[name]/console">): Promise<Metadata> {
  return { title: (await consoleOf(params))?.name ?? "Object not found" };
}

export default async function WebConsolePage({ params }: PageProps<"/vms/[namespace]/[name]/console">) {
  const webConsole = await consoleOf(params);
  if (!webConsole) notFound();
  if (webConsole.unavailable) {
    return (
      <main className="flex min-h-dvh items-center justify-center bg-header p-6 text-header-foreground">
        <div className="max-w-md text-center">
          <BrandMark className="mx-auto size-9" />
          <MonitorOff aria-hidden className="mx-auto mt-6 size-10 opacity-75" />
          <h1 className="mt-3 text-lg font-semibold">{webConsole.name} has no web console</h1>
          <p className="mt-1 text-sm opacity-80">{webConsole.unavailable}</p>
        </div>
      </main>
    );
  }
  return <WebConsoleScreen namespace={webConsole.namespace} name={webConsole.name} canType={webConsole.canType} />;
}
