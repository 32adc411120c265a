namespace ImagingRepo.Dicom;

/// <summary>The base of every error the DICOM codec raises.</summary>
public class DicomException : Exception
{
    /// <summary>Creates an exception.</summary>
    public DicomException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public DicomException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public DicomException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Input that cannot be read as DICOM: says which source, at which byte offset, in which element, and what was expected.
/// This is the only exception the readers let escape for bad input.
/// </summary>
public sealed class DicomReadException : DicomException
{
    /// <summary>Creates an exception.</summary>
    /// <param name="source">The file path or stream description.</param>
    /// <param name="offset">The byte offset where the problem was found.</param>
    /// <param name="tag">The element being read, when known.</param>
    /// <param name="problem">What was expected and what was found.</param>
    /// <param name="innerException">The cause, if any.</param>
    public DicomReadException(string source, long offset, DicomTag? tag, string problem, Exception? innerException = null)
        : base(Format(source, offset, tag, problem), innerException!)
    {
        SourceName = source;
        Offset = offset;
        Tag = tag;
        Problem = problem;
    }

    /// <summary>Creates an exception.</summary>
    public DicomReadException()
        : this("(unknown)", 0, null, "unreadable DICOM input")
    {
    }

    /// <summary>Creates an exception.</summary>
    /// <param name="message">What went wrong.</param>
    public DicomReadException(string message)
        : this("(unknown)", 0, null, message)
    {
    }

    /// <summary>Creates an exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public DicomReadException(string message, Exception innerException)
        : this("(unknown)", 0, null, message, innerException)
    {
    }

    /// <summary>The file path or stream description of the input (named so as not to hide <see cref="Exception.Source"/>).</summary>
    public string SourceName { get; }

    /// <summary>The byte offset where the problem was found (in the inflated data for deflated files).</summary>
    public long Offset { get; }

    /// <summary>The element being read, when known.</summary>
    public DicomTag? Tag { get; }

    /// <summary>What was expected and what was found.</summary>
    public string Problem { get; }

    private static string Format(string source, long offset, DicomTag? tag, string problem) =>
        tag is { } t ? $"{source}: offset {offset}, element {t}: {problem}" : $"{source}: offset {offset}: {problem}";
}

/// <summary>What kind of malformation a <see cref="DicomDiagnostic"/> reports.</summary>
public enum DicomDiagnosticKind
{
    /// <summary>Malformed but complete: the reader recovered every value (wrong group length, bad VR bytes, stray delimiters…).</summary>
    Malformed,

    /// <summary>A sequence, item or encapsulated pixel data ended at the end of the input without its delimiter; no value was cut.</summary>
    MissingDelimiter,

    /// <summary>The input ended inside a value, an element header or a structure of defined length: data was lost.</summary>
    Truncated,
}

/// <summary>A malformation the lenient reader worked around.</summary>
/// <param name="Offset">The byte offset where it was found.</param>
/// <param name="Tag">The element concerned, when known.</param>
/// <param name="Message">What was wrong and what the reader did.</param>
/// <param name="Kind">Whether data was lost (<see cref="DicomDiagnosticKind.Truncated"/>) or only the form was wrong.</param>
public sealed record DicomDiagnostic(long Offset, DicomTag? Tag, string Message, DicomDiagnosticKind Kind = DicomDiagnosticKind.Malformed)
{
    /// <inheritdoc />
    public override string ToString() => Tag is { } t ? $"offset {Offset}, {t}: {Message}" : $"offset {Offset}: {Message}";
}
