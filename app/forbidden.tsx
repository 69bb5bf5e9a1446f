import { ShieldAlert } from "lucide-react";
import Link from "next/link";

export default function Forbidden() {
  return (
    <div className="flex min-h-[60vh] items-center justify-center p-6">
      <div className="max-w-md text-center">
        <ShieldAlert className="mx-auto size-10 text-warning" aria-hidden />
        <h1 className="mt-3 text-lg font-semibold">You do not have permission to view this page</h1>
        <p className="mt-1 text-sm text-muted-foreground">Your role does not allow it. Ask an administrator if you need access.</p>
        <Link href="/" className="mt-4 inline-block text-sm font-medium text-primary underline-offset-4 hover:underline">
          Go to Home
        </Link>
      </div>
    </div>
  );
}
