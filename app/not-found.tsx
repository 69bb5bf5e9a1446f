import { SearchX } from "lucide-react";
import Link from "next/link";

export default function NotFound() {
  return (
    <div className="flex min-h-[60vh] items-center justify-center p-6">
      <div className="max-w-md text-center">
        <SearchX className="mx-auto size-10 text-muted-foreground" aria-hidden />
        <h1 className="mt-3 text-lg font-semibold">Nothing here</h1>
        <p className="mt-1 text-sm text-muted-foreground">The page or object you asked for does not exist, was deleted, or is not shared with you.</p>
        <Link href="/" className="mt-4 inline-block text-sm font-medium text-primary underline-offset-4 hover:underline">
          Go to Home
        </Link>
      </div>
    </div>
  );
}
