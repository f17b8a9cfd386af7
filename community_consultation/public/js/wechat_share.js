// A public page opened in WeChat shares as a card (title, description, the platform's logo) where the
// county's Official Account signs the page for the JS-SDK (portal/wechat_login.py share_config).
(() => {
	if (!window.wx) return;
	const url = location.href.split("#")[0];
	fetch(`/api/method/community_consultation.portal.wechat_login.share_config?url=${encodeURIComponent(url)}`, {
		headers: { Accept: "application/json" },
		credentials: "same-origin",
	})
		.then((r) => r.json())
		.then(({ message }) => {
			if (!message) return;
			wx.config({ debug: false, ...message });
			wx.ready(() => {
				const description = document.querySelector('meta[name="description"]');
				const logo = document.querySelector('link[rel="shortcut icon"]');
				const card = {
					title: document.title,
					desc: description ? description.content : "",
					link: url,
					imgUrl: logo ? new URL(logo.getAttribute("href"), location.href).href : "",
				};
				wx.updateAppMessageShareData(card);
				wx.updateTimelineShareData(card);
			});
		})
		.catch(() => {});
})();
