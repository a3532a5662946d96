// The CCO / AWS side: extract, ccoctl, inject and verify arrive with issues #3 and #4.
export {};
