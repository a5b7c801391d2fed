import { createContext, useContext } from "react";

/** The per-response CSP nonce for Remix's inline scripts (empty in the browser). */
export const NonceContext = createContext<string>("");
export const useNonce = () => useContext(NonceContext);
