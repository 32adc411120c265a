namespace ImagingRepo.Service.Creation.Metadata;

/// <summary>
/// Harmonizes Manufacturer (0008,0070), which DICOM leaves free text, to the names of the EUCAIM ontology, as the
/// CHAIMELEON service does; a manufacturer not on the list is <c>Other</c>. Unlike the CHAIMELEON code, a name is matched
/// as whole words, so that e.g. "Premier" is not taken for MiE nor "Image" for GE.
/// </summary>
public static class ManufacturerNames
{
    /// <summary>What a manufacturer missing from the list is called.</summary>
    public const string Other = "Other";

    // (harmonized name, word sequences that identify it), tried in this order
    private static readonly (string Name, string[] Words)[] Known =
    [
        ("ADAC", ["adac"]),
        ("Agfa", ["agfa"]),
        ("Canon", ["canon"]),
        ("Elscint", ["elscint"]),
        ("Esaote", ["esaote"]),
        ("Fujifilm", ["fujifilm", "fuji"]),
        ("General Electric", ["general electric", "ge", "gems"]),
        ("Hitachi", ["hitachi"]),
        ("Hologic", ["hologic"]),
        ("I.M.S", ["i.m.s", "ims"]),
        ("Marconi", ["marconi"]),
        ("Mediso", ["mediso"]),
        ("MiE", ["mie"]),
        ("Philips", ["philips"]),
        ("Picker International", ["picker"]),
        ("Shimadzu", ["shimadzu"]),
        ("Siemens", ["siemens"]),
        ("Toshiba", ["toshiba"]),
    ];

    /// <summary>The harmonized name of <paramref name="manufacturer"/>, or null when it is empty.</summary>
    /// <param name="manufacturer">The value of (0008,0070).</param>
    public static string? Harmonize(string? manufacturer)
    {
        if (string.IsNullOrWhiteSpace(manufacturer)) return null;

        // words separated by single spaces, with a space at either end, so that " ge " matches the word only
        var words = new System.Text.StringBuilder(manufacturer.Length + 2).Append(' ');
        foreach (var c in manufacturer.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c == '.') words.Append(c);
            else EndWord(words);
        }

        EndWord(words);
        var text = words.ToString();
        foreach (var (name, needles) in Known)
        {
            foreach (var needle in needles)
            {
                if (text.Contains(" " + needle + " ", StringComparison.Ordinal)) return name;
            }
        }

        return Other;
    }

    /// <summary>Ends the word being built: a full stop after it (an abbreviation's, "I.M.S.") is no part of it.</summary>
    private static void EndWord(System.Text.StringBuilder words)
    {
        if (words[^1] == '.') words.Length--;
        if (words[^1] != ' ') words.Append(' ');
    }
}
