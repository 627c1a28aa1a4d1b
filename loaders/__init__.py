"""Reading policy documents into the domain model: file → text → structure → clauses → agencies."""
