"""`analyze-compare`: the analysis the wrapper runs after the C++ `compare`."""
