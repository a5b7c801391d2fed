import { z } from "zod";

/** Environment, validated once at boot. Only values in `publicEnv` ever reach the browser. */
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  DATABASE_URL: z.string().url(),
  APP_DATABASE_URL: z.string().url().optional(),
  JWT_SECRET: z.string().min(32, "JWT_SECRET must be at least 32 characters").optional(),
  JWT_ISSUER: z.string().default("xunlian"),
  SUPABASE_URL: z.string().url().optional(),
  SUPABASE_ANON_KEY: z.string().min(1).optional(),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  PASSWORD_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = schema.safeParse(process.env);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      throw new Error(`Invalid environment: ${issues}`);
    }
    if (!parsed.data.SUPABASE_URL && !parsed.data.JWT_SECRET) {
      throw new Error("Invalid environment: JWT_SECRET is required unless SUPABASE_URL is set");
    }
    if (!!parsed.data.SUPABASE_URL !== !!parsed.data.SUPABASE_ANON_KEY) {
      throw new Error("Invalid environment: SUPABASE_URL and SUPABASE_ANON_KEY go together");
    }
    cached = parsed.data;
  }
  return cached;
}

export function publicEnv() {
  return { authProvider: env().SUPABASE_URL ? "supabase" : "builtin" } as const;
}
