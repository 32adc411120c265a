using Spectre.Console;

namespace ImagingRepo.Cli;

/// <summary>The Spectre console a command writes tables and trees to.</summary>
internal static class CliConsole
{
    /// <summary>Width when standard output is a pipe or a file: wide enough that no id or hash is ever wrapped.</summary>
    private const int RedirectedWidth = 4096;

    /// <summary>
    /// A console on the current <see cref="Console.Out"/>. Piped or redirected, Spectre would assume 80 columns and
    /// wrap ids across lines (and colour codes would end up in files), so there it is wide and plain.
    /// </summary>
    public static IAnsiConsole Create()
    {
        var redirected = Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (redirected)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }
}
