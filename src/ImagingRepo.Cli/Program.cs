using System.CommandLine;
using ImagingRepo.Cli;

// Each command lives in Commands/ and is registered here; System.CommandLine adds --help and --version.
RootCommand root = CliApplication.CreateRootCommand();
return await CliInvocation.InvokeAsync(root, args).ConfigureAwait(false);
