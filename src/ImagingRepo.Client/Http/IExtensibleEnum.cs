namespace ImagingRepo.Client.Http;

/// <summary>
/// A string-valued enumeration that accepts values it does not know: what the service sends is kept, so a newer
/// service adding a value never makes a response unreadable.
/// </summary>
/// <typeparam name="TSelf">The enumeration type.</typeparam>
public interface IExtensibleEnum<TSelf> where TSelf : struct, IExtensibleEnum<TSelf>
{
    /// <summary>The wire value.</summary>
    string Value { get; }

    /// <summary>Creates a value from its wire form.</summary>
    /// <param name="value">The wire value.</param>
    static abstract TSelf FromValue(string value);
}
