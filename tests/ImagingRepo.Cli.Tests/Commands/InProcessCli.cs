namespace ImagingRepo.Cli.Tests.Commands;

/// <summary>
/// Runs a command line through the CLI's root command in this process, with stdout and stderr captured together.
/// The console is process-wide: test classes that use this belong to the Console collection.
/// </summary>
internal static class InProcessCli
{
    public static (int ExitCode, string Output) Run(params string[] args)
    {
        var writer = new StringWriter();
        var (stdout, stderr) = (Console.Out, Console.Error);
        Console.SetOut(writer);
        Console.SetError(writer);
        try
        {
            var code = CliApplication.CreateRootCommand().Parse(args).Invoke();
            return (code, writer.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }
}
