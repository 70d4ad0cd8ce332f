"""Developer data: the demo from the orders (`load_demo`), the national-scale generator
(`generate_scale`) and the benchmark (`make bench`). Not installed in production."""
