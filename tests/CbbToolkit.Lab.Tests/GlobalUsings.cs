// The one process runner of the test suites (tests/CbbToolkit.Testing).
global using CbbToolkit.Testing.Processes;

// The shared ESP check under a name that does not collide with this project's Esp namespace (tests in Esp/).
global using KernelEsp = CbbToolkit.Testing.Capabilities.Esp;
