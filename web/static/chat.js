// The shop's chat page: starts rasa-webchat with the buyer's language and token.
(function () {
  "use strict";
  var TEXTS = {
    en: { title: "Silk Road Assistant", subtitle: "Shopping across borders", hint: "Type a message",
          guest: "Guest", buyer: "Signed in" },
    zh: { title: "丝路助手", subtitle: "跨境购物", hint: "输入消息", guest: "访客", buyer: "已登录" },
    ru: { title: "Ассистент Silk Road", subtitle: "Покупки из-за рубежа", hint: "Напишите сообщение",
          guest: "Гость", buyer: "Вы вошли" },
    ar: { title: "مساعد طريق الحرير", subtitle: "تسوّق عبر الحدود", hint: "اكتب رسالة",
          guest: "زائر", buyer: "تم تسجيل الدخول" }
  };
  var RIGHT_TO_LEFT = ["ar"];

  var config = JSON.parse(document.getElementById("chat-config").textContent);
  var query = new URLSearchParams(window.location.search);
  var locale = query.get("lang") || navigator.language || "en";
  var language = locale.slice(0, 2).toLowerCase();
  if (!TEXTS[language]) { language = "en"; }
  var texts = TEXTS[language];

  document.documentElement.lang = language;
  document.documentElement.dir = RIGHT_TO_LEFT.indexOf(language) >= 0 ? "rtl" : "ltr";
  document.title = texts.title;
  document.getElementById("shop-buyer").textContent = config.buyerToken ? texts.buyer : texts.guest;

  // Sent with every message as the message's metadata (Rasa's socketio channel, metadata_key customData).
  var customData = { language: language, locale: locale };
  if (config.buyerToken) { customData.buyer_token = config.buyerToken; }

  window.WebChat.default({
    socketUrl: config.socketUrl,
    socketPath: "/socket.io/",
    customData: customData,
    embedded: true,
    // An embedded widget sends this as soon as it connects (an empty message otherwise): the bot greets
    // in the page's language.
    initPayload: "/greet",
    title: texts.title,
    subtitle: texts.subtitle,
    inputTextFieldHint: texts.hint,
    hideWhenNotConnected: false,
    customMessageDelay: function () { return 150; },
    params: { storage: "session", images: { dims: { width: 160, height: 160 } } }
  }, document.getElementById("webchat"));
})();
