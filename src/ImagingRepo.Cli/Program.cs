using System.CommandLine;
using ImagingRepo.Cli;

// Each command lives in Commands/ and is registered here; System.CommandLine adds --help and --version.
RootCommand root = CliApplication.CreateRootCommand();
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
