// Adds matchers such as toBeInTheDocument() to Vitest's expect, with their types.
import '@testing-library/jest-dom/vitest';
