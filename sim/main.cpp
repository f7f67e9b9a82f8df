// The capsim command: the command line (sim/cli/, without SimGrid) with the SimGrid engine plugged in.
#include "sim/cli/app.hpp"
#include "sim/engine.hpp"

int main(int argc, char** argv) { return capsim::run_cli(argc, argv, capsim::run_sites); }
