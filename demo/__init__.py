"""Demo data: `seed_demo` loads a realistic program (PRODUCT.md program 1), one module per
area, in dependency order. Nothing in the product imports this app."""
