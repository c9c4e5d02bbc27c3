namespace Fp4Sim.Cli;

/// <summary>Bad input from the user: the message becomes one <c>fp4sim: …</c> line on stderr and the exit code is 2.</summary>
public sealed class CliException(string message) : Exception(message);

/// <summary>The environment is not set up (model or corpus missing) or an output cannot be written: one line, exit code 3.</summary>
public sealed class EnvironmentException(string message) : Exception(message);
