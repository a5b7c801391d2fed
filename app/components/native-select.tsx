import { forwardRef } from "react";

/** A native <select>: labelled, keyboard- and form-friendly, styled to sit with Radix fields. */
export const NativeSelect = forwardRef<HTMLSelectElement, React.SelectHTMLAttributes<HTMLSelectElement>>(
  function NativeSelect({ className, ...props }, ref) {
    return <select ref={ref} className={`native-select ${className ?? ""}`} {...props} />;
  },
);
