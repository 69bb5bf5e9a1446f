"use client";
// The sign-in form: username and password, one clear message when they do not match.
import { zodResolver } from "@hookform/resolvers/zod";
import { useAction } from "next-safe-action/hooks";
import { useForm } from "react-hook-form";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { signIn } from "@/lib/actions/auth/sign-in";
import { signInInputSchema, type SignInInput } from "@/lib/actions/auth/sign-in-schema";

export function LoginForm({ next }: { next?: string }) {
  const form = useForm<SignInInput>({
    resolver: zodResolver(signInInputSchema),
    defaultValues: { username: "", password: "", next },
  });
  const { executeAsync, result, isPending } = useAction(signIn);
  const errors = form.formState.errors;

  return (
    <form
      noValidate
      className="space-y-4"
      onSubmit={form.handleSubmit(async (values) => {
        const outcome = await executeAsync(values);
        if (outcome?.serverError) form.resetField("password");
      })}
    >
      {result.serverError && (
        <Alert variant="destructive" role="alert">
          <AlertDescription>{result.serverError.message}</AlertDescription>
        </Alert>
      )}
      <FormField label="Username" htmlFor="username" error={errors.username?.message}>
        <Input
          id="username"
          autoComplete="username"
          autoFocus
          aria-invalid={!!errors.username}
          aria-describedby={errors.username ? "username-error" : undefined}
          {...form.register("username")}
        />
      </FormField>
      <FormField label="Password" htmlFor="password" error={errors.password?.message}>
        <Input
          id="password"
          type="password"
          autoComplete="current-password"
          aria-invalid={!!errors.password}
          aria-describedby={errors.password ? "password-error" : undefined}
          {...form.register("password")}
        />
      </FormField>
      <Button type="submit" className="w-full" disabled={isPending}>
        {isPending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
