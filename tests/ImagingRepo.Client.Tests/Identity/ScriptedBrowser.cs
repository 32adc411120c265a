using System.Net;
using System.Text.RegularExpressions;

namespace ImagingRepo.Client.Tests.Identity;

/// <summary>
/// Plays the person at the browser for a device-code sign-in at oidc-provider's development interactions: opens the
/// verification page, submits each form it is shown (code confirmation, login with any user name, consent) and stops
/// at the page without a form. With <c>abort</c> it refuses at the confirmation form instead.
/// </summary>
internal static partial class ScriptedBrowser
{
    public static async Task ApproveAsync(Uri verificationUriComplete, string userName, bool abort = false)
    {
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true };
        using var browser = new HttpClient(handler);
        var page = await browser.GetStringAsync(verificationUriComplete);
        for (var step = 0; step < 10; step++)
        {
            var form = FormPattern().Match(page);
            if (!form.Success) return;
            var fields = new List<KeyValuePair<string, string>>();
            foreach (Match input in InputPattern().Matches(form.Groups["body"].Value))
            {
                var tag = input.Value;
                var name = Attribute(tag, "name");
                if (name is null) continue;
                var type = Attribute(tag, "type") ?? "text";
                var value = type switch
                {
                    "password" => "any-password",
                    "text" when name == "login" => userName,
                    _ => Attribute(tag, "value") ?? "",
                };
                fields.Add(new(name, value));
            }

            var confirmation = fields.Exists(f => f.Key == "confirm");
            if (abort && confirmation)
            {
                fields.Add(new("abort", "yes"));
            }

            using var response = await browser.PostAsync(new Uri(verificationUriComplete, WebUtility.HtmlDecode(form.Groups["action"].Value)),
                new FormUrlEncodedContent(fields));
            page = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"step {step}: {(int)response.StatusCode} {page}");
            if (abort && confirmation) return;
        }

        Assert.Fail("the sign-in pages did not end within 10 forms");
    }

    private static string? Attribute(string tag, string name)
    {
        var match = Regex.Match(tag, $"""\b{name}="([^"]*)" """.TrimEnd());
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    [GeneratedRegex("""<form[^>]*action="(?<action>[^"]+)"[^>]*>(?<body>.*?)</form>""", RegexOptions.Singleline)]
    private static partial Regex FormPattern();

    [GeneratedRegex("""<input[^>]*>""")]
    private static partial Regex InputPattern();
}
