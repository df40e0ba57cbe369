// Integration tests: each test case starts its own server process (see
// fixture.h). Run with ORDIS_SERVER=path/to/ordis-server (make integration).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
