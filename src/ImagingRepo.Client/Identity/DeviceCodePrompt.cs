namespace ImagingRepo.Client.Identity;

/// <summary>What a person must do to finish a device-code sign-in: open the URL on any device and enter the code.</summary>
/// <param name="UserCode">The code to enter (short, meant to be typed).</param>
/// <param name="VerificationUri">The page to open.</param>
/// <param name="VerificationUriComplete">The page with the code filled in, or null when the provider offers none.</param>
/// <param name="ExpiresAt">When the code stops working.</param>
public sealed record DeviceCodePrompt(string UserCode, Uri VerificationUri, Uri? VerificationUriComplete, DateTimeOffset ExpiresAt)
{
    /// <summary>The instruction as one line of text, for a console or a notebook cell.</summary>
    public override string ToString() =>
        $"To sign in, open {VerificationUri} and enter the code {UserCode} (valid until {ExpiresAt:u}).";
}
