// The one process runner of the test suites (tests/CbbToolkit.Testing).
global using CbbToolkit.Testing.Processes;
