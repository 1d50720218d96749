"""Materials (申请材料): uploads checked from their bytes, stored by content hash, served by grant;
and the e-licences (电子证照) that stand in for some of them."""
